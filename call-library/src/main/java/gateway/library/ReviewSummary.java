package gateway.library;

/**
 * What the index keeps of a call's {@link CallReview}: how many reviewers scored it, the mean of their scores (0 when
 * none did), and how many notes it has.
 */
public record ReviewSummary(int reviewers, double score, int notes) {

    /** Whether at least one reviewer filled in the scorecard. */
    public boolean reviewed() {
        return reviewers > 0;
    }
}
