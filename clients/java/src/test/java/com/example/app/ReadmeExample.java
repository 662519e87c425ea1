package com.example.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.SignalingListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.Offer;

/**
 * The README's example, verbatim: bob answers every offer, alice offers, through a running server.
 * ReadmeExampleTest runs it against a test server; Java17AppTest compiles and runs it on Java 17. In a package of
 * its own, as an app's code is.
 */
public final class ReadmeExample {
    /** Bob's side: answers each offer (a WebRTC app would setRemoteDescription, createAnswer). */
    static final class Answerer implements SignalingListener {
        SwitchboardClient client;

        @Override
        public void onOffer(Offer offer) {
            client.sendAnswer(offer.getRoomId(), offer.getFromUserId(), "v=0 (bob's answer SDP)");
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        CompletableFuture<String> answered = new CompletableFuture<>();
        Answerer answerer = new Answerer();

        try (SwitchboardClient bob = SwitchboardClient.builder()
                     .target("127.0.0.1", port).userId("bob").listener(answerer).build();
             SwitchboardClient alice = SwitchboardClient.builder()
                     .target("127.0.0.1", port).userId("alice")
                     .listener(new SignalingListener() {
                         @Override
                         public void onAnswer(Answer answer) {
                             answered.complete(answer.getSdp());
                         }
                     })
                     .build()) {
            answerer.client = bob;
            bob.connect().get(10, TimeUnit.SECONDS);
            bob.join("r1").get(10, TimeUnit.SECONDS);
            alice.connect().get(10, TimeUnit.SECONDS);
            alice.join("r1").get(10, TimeUnit.SECONDS);

            alice.sendOffer("r1", "bob", "v=0 (alice's offer SDP)").get(10, TimeUnit.SECONDS);
            System.out.println("answer: " + answered.get(10, TimeUnit.SECONDS));
        }
    }
}
