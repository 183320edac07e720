package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.testkit.Signals;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ComfortNoiseTest {

    @Test
    void noiseHasTheLevelOfTheCnPayloadInMinusDbov() {
        ComfortNoise noise = new ComfortNoise();
        // RFC 3389 §3: level byte 40 = −40 dBov, 0 dBov being a full-scale square wave (RMS 32767).
        noise.update(Unpooled.wrappedBuffer(new byte[] {40, 1, 2, 3}), 0, 4); // reflection coefficients ignored
        short[] out = new short[80_000];
        noise.generate(out, 0, out.length);
        assertEquals(40, noise.level());
        assertEquals(20 * Math.log10(Signals.rms(out, 0, out.length) / 32767), -40, 0.2);
        // White, not a tone or a hum: neighbouring samples are uncorrelated.
        double lag1 = 0;
        double energy = 0;
        for (int i = 1; i < out.length; i++) {
            lag1 += (double) out[i] * out[i - 1];
            energy += (double) out[i] * out[i];
        }
        assertEquals(0, lag1 / energy, 0.02);
    }

    @Test
    void theLevelStaysUntilTheNextCnAndAnEmptyPayloadKeepsIt() {
        ComfortNoise noise = new ComfortNoise();
        noise.level(70);
        noise.update(Unpooled.wrappedBuffer(new byte[0]), 0, 0);
        assertEquals(70, noise.level());
        noise.update(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80 | 60}), 0, 1);   // the top bit is reserved
        assertEquals(60, noise.level());
        short[] quiet = new short[8000];
        new ComfortNoise().generate(quiet, 0, quiet.length);
        assertArrayEquals(new short[8000], quiet);                                  // −127 dBov: silence
    }
}
