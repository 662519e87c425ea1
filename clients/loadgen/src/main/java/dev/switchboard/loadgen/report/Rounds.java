package dev.switchboard.loadgen.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleBiFunction;

/**
 * Every target's results over the benchmark's rounds. A ratio between two targets is taken within each round
 * (both ran minutes apart, under the same conditions), then its median over the rounds.
 */
public final class Rounds {
    private final List<List<TargetResult>> rounds = new ArrayList<>();

    /** Starts the next round. */
    public void next() {
        rounds.add(new ArrayList<>());
    }

    /** Adds a target's result to the current round. */
    public void add(TargetResult result) {
        rounds.getLast().add(result);
    }

    int count() {
        return rounds.size();
    }

    List<List<TargetResult>> all() {
        return rounds;
    }

    /** The targets run, in the first round's order. */
    List<String> targets() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        rounds.forEach(round -> round.forEach(result -> seen.put(result.target(), true)));
        return List.copyOf(seen.keySet());
    }

    /** A target's result in every round it ran. */
    List<TargetResult> of(String target) {
        return rounds.stream().flatMap(round -> find(round, target).stream()).toList();
    }

    boolean ran(String target) {
        return !of(target).isEmpty();
    }

    /**
     * @param ours   a target
     * @param theirs another
     * @param ratio  the figure compared, from our result and theirs in the same round
     * @return its spread over the rounds both ran in
     */
    Spread ratio(String ours, String theirs, ToDoubleBiFunction<TargetResult, TargetResult> ratio) {
        List<Double> values = new ArrayList<>();
        for (List<TargetResult> round : rounds) {
            Optional<TargetResult> us = find(round, ours);
            Optional<TargetResult> them = find(round, theirs);
            if (us.isPresent() && them.isPresent()) {
                values.add(ratio.applyAsDouble(us.get(), them.get()));
            }
        }
        return Spread.of(values);
    }

    private static Optional<TargetResult> find(List<TargetResult> round, String target) {
        return round.stream().filter(result -> result.target().equals(target)).findFirst();
    }
}
