package gateway.rtp;

/**
 * The parts of the caller's receive path that only a G.722 stream uses: its decoder, the 16 → 24 kHz resampler,
 * concealment at 16 kHz and the 24 → 8 kHz filter for an agent that takes G.711 (the 8 kHz audio it makes is the
 * loop's {@link RtpScratch}). Made at the stream's first G.722 packet, so a G.711 call, most calls, never holds them
 * (about 7 KB). Call's loop only.
 */
final class WidebandReceive {

    final G722Decoder decoder = new G722Decoder();
    final RationalResampler upsampler = RationalResampler.up16kTo24k();
    final LossConcealment concealment = new LossConcealment(2);
    final Downsampler24kTo8k toNarrow = new Downsampler24kTo8k();
}
