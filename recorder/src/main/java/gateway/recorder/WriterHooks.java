package gateway.recorder;

/**
 * Test hooks the writer thread runs: before each pass over the calls (a test blocks here to stall the writer), after
 * each pass, and after each periodic header rewrite has reached the files.
 */
record WriterHooks(Runnable beforePass, Runnable afterPass, Runnable afterSync) {

    static final WriterHooks NONE = new WriterHooks(() -> { }, () -> { }, () -> { });
}
