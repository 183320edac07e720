package gateway.rtp;

/** What each side of a G.722 stream keeps (§6.1): the QMF's histories and the two sub-bands' adaptive state. */
final class G722State {

    final G722Qmf qmf = new G722Qmf();
    final G722Band lower = G722Band.lower();
    final G722Band higher = G722Band.higher();

    /** Back to the reset state, as at the start of a stream. */
    void reset() {
        qmf.reset();
        lower.reset();
        higher.reset();
    }
}
