package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.rtp.G711;
import gateway.rtp.Upsampler8kTo24k;
import gateway.testkit.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The resend ring against what was sent: a G.711 caller's audio fed through a real up-sampler as the media path
 * feeds it, piece by piece, and every stretch the ring gives back compared sample for sample with the 24 kHz audio
 * sent; the ring's size in each of its forms.
 */
class SentAudioTest {

    /** 2 s, {@code realtime.resend-ms}'s default, at 24 kHz. */
    private static final int KEPT = 48_000;
    private static final int PIECE = 160;

    private final Upsampler8kTo24k mediaPath = new Upsampler8kTo24k();
    private final SentAudio ring = new SentAudio(KEPT, false);
    /** Everything sent, on the call-wide count. */
    private short[] sent = new short[0];
    private final short[] speech = Signals.sine(700, 8000, 9000, 8000 * 10);
    private int said;

    /** The media path takes the next piece of the caller's µ-law up to 24 kHz; the call sends it when {@code send}. */
    private short[] piece(boolean straight, boolean send) {
        short[] pcm8k = new short[PIECE];
        byte[] octets = new byte[PIECE];
        for (int i = 0; i < PIECE; i++) {
            short s = speech[said++];
            octets[i] = G711.PCMU.encode(s);
            // Concealment and comfort noise make samples no code decodes to.
            pcm8k[i] = straight ? G711.PCMU.decode(octets[i]) : (short) (s | 1);
        }
        ring.noteNarrowband(pcm8k, PIECE, straight ? G711.PCMU : null, octets);
        short[] wide = new short[3 * PIECE];
        mediaPath.process(pcm8k, 0, PIECE, wide, 0);
        if (send) {
            ring.add(wide, 0, wide.length);
            int at = sent.length;
            sent = Arrays.copyOf(sent, at + wide.length);
            System.arraycopy(wide, 0, sent, at, wide.length);
        }
        return wide;
    }

    private void assertKeptAsSent(String what) {
        long from = ring.oldestKept();
        int length = (int) (ring.written() - from);
        SentAudio.Stretch all = ring.copy(from, length, 7);
        assertEquals(7, all.position());
        assertArrayEquals(Arrays.copyOfRange(sent, (int) from, sent.length), all.pcm(), what);
        SentAudio.Stretch mid = ring.copy(from + 999, 3 * 333, 0);
        assertArrayEquals(Arrays.copyOfRange(sent, (int) from + 999, (int) from + 999 + 999), mid.pcm(), what);
    }

    @Test
    void aNarrowbandCallerIsKeptAsItsCodesAndRebuiltSampleForSample() {
        for (int i = 0; i < 20; i++) {
            piece(true, false);                              // before the answer's first send: history only
        }
        for (int i = 0; i < 150; i++) {                      // 3 s: the ring wraps
            piece(true, true);
        }
        assertKeptAsSent("codes, wrapped");
        assertEquals(KEPT / 3 + Upsampler8kTo24k.HISTORY + 480, ring.heldBytes(), "one byte a sample at 8 kHz");
        assertEquals(KEPT, ring.copy(ring.oldestKept(), KEPT, 0).pcm().length);
    }

    @Test
    void audioNoCodeDecodesToIsKeptAsSamplesFromThenOn() {
        for (int i = 0; i < 40; i++) {
            piece(true, true);
        }
        piece(false, true);
        piece(true, true);
        assertKeptAsSent("concealment in the middle");
        assertEquals(2L * (KEPT / 3 + Upsampler8kTo24k.HISTORY + 480), ring.heldBytes(), "two bytes a sample");
        for (int i = 0; i < 150; i++) {
            piece(i % 7 != 0, true);
        }
        assertKeptAsSent("samples, wrapped");
    }

    @Test
    void silenceInMuLawStaysCodes() {
        for (int i = 0; i < 5; i++) {
            piece(true, true);
        }
        short[] silence = new short[PIECE];
        ring.noteNarrowband(silence, PIECE, null, new byte[PIECE]);
        short[] wide = new short[3 * PIECE];
        mediaPath.process(silence, 0, PIECE, wide, 0);
        ring.add(wide, 0, wide.length);
        sent = Arrays.copyOf(sent, sent.length + wide.length);
        System.arraycopy(wide, 0, sent, sent.length - wide.length, wide.length);
        for (int i = 0; i < 5; i++) {
            piece(true, true);
        }
        assertKeptAsSent("silence between speech");
        assertEquals(KEPT / 3 + Upsampler8kTo24k.HISTORY + 480, ring.heldBytes());
    }

    /** A piece the call held (a reconnect) parts the narrowband ring from what was sent: it changes to 24 kHz. */
    @Test
    void aPieceNotSentChangesTheRingToTheSentSamplesKeptExactly() {
        for (int i = 0; i < 120; i++) {
            piece(true, true);
        }
        piece(true, false);
        short[] held = piece(true, false);
        assertEquals(2L * KEPT, ring.heldBytes(), "24 kHz samples from now on");
        assertKeptAsSent("rebuilt into the wide ring");
        ring.add(held, 0, held.length);                      // held audio sent later, as 24 kHz
        sent = Arrays.copyOf(sent, sent.length + held.length);
        System.arraycopy(held, 0, sent, sent.length - held.length, held.length);
        for (int i = 0; i < 10; i++) {
            piece(true, true);
        }
        assertKeptAsSent("wide, then more sent");
    }

    @Test
    void nothingKeptHoldsNothing() {
        SentAudio none = new SentAudio(0, false);
        none.noteNarrowband(new short[PIECE], PIECE, G711.PCMU, new byte[PIECE]);
        none.add(new short[3 * PIECE], 0, 3 * PIECE);
        assertEquals(0, none.heldBytes());
        assertEquals(3 * PIECE, none.oldestKept());
        assertEquals(0, none.copy(3 * PIECE, 0, 0).pcm().length);
    }
}
