package gateway.demoagent;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the demo agent as a process of its own, so a load test can measure the gateway without the agent's CPU
 * and memory: {@code java -cp gateway.jar gateway.demoagent.DemoAgentMain --port=8765}. Prints its URL.
 */
public final class DemoAgentMain {

    private DemoAgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else {
                System.err.println("usage: DemoAgentMain [--port=N]");
                System.exit(2);
            }
        }
        DemoAgent agent = DemoAgent.start(DemoScript.defaults(), null, port);
        System.out.println(agent.url());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stop.countDown();
        }, "agent-shutdown"));
        stop.await();
    }
}
