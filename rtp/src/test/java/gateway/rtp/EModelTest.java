package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simplified E-model against values worked out by hand from ITU-T G.107 and G.113. */
class EModelTest {

    @Test
    void aCleanShortCallRatesTheDefaultR() {
        assertEquals(93.2, EModel.rFactor(0, 1, 40), 1e-9);
        assertEquals(4.41, EModel.mos(93.2), 0.005);                 // G.107 Annex B
    }

    @Test
    void lossCostsWhatBplOfG711WithConcealmentSays() {
        // Ie,eff = 95 · 1 / (1 / 1 + 25.1) = 3.64 for 1 % random loss.
        assertEquals(93.2 - 3.640, EModel.rFactor(1, 1, 0), 0.005);
        // Bursty loss hurts more: BurstR 2 gives 95 · 5 / (5 / 2 + 25.1) = 17.21 at 5 %.
        assertEquals(93.2 - 17.210, EModel.rFactor(5, 2, 0), 0.005);
    }

    @Test
    void delayCostsNothingUpTo100MillisecondsThenFollowsIdd() {
        assertEquals(0, EModel.delayImpairment(100), 1e-9);
        assertEquals(3.044, EModel.delayImpairment(200), 0.005);    // X = 1
        assertEquals(24.07, EModel.delayImpairment(400), 0.01);     // X = 2
    }

    @Test
    void mosStaysBetweenOneAndFourAndAHalf() {
        assertEquals(1, EModel.mos(-5));
        assertEquals(4.5, EModel.mos(120));
        assertTrue(EModel.mos(50) > EModel.mos(40));
    }

    @Test
    void burstRatioOfTheObservedGilbertModel() {
        assertEquals(1, EModel.burstRatio(0, 0, 1000));
        // 20 isolated losses in 1000: p = 20 / 980, q = 20 / 20 = 1: just under 1, as Bernoulli loss is.
        assertEquals(1 / (20.0 / 980 + 1), EModel.burstRatio(20, 20, 1000), 1e-9);
        // The same 20 packets lost in 4 bursts of 5: p = 4 / 980, q = 4 / 20: BurstR near 5.
        assertEquals(1 / (4.0 / 980 + 0.2), EModel.burstRatio(4, 20, 1000), 1e-9);
    }
}
