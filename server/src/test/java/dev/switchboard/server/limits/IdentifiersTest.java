package dev.switchboard.server.limits;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The relay's quick check of an id, and the check that explains a refusal, against the rule as a pattern. */
class IdentifiersTest {
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_.:@-]{1," + Identifiers.MAX_LENGTH + "}");
    private static final String CHARACTERS = "aZ09-_.:@ /\u00e9\u65e5\"\\\u0000";

    @Test
    void anIdIsWellFormedExactlyWhenItMatchesTheRule() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(10) == 0 ? Identifiers.MAX_LENGTH + random.nextInt(3) - 1 : random.nextInt(6);
            boolean plain = random.nextBoolean();   // half of them only allowed characters, so both answers occur
            for (int c = 0; c < length; c++) {
                id.append(CHARACTERS.charAt(random.nextInt(plain ? 9 : CHARACTERS.length())));
            }
            String value = id.toString();
            boolean expected = RULE.matcher(value).matches();
            assertEquals(expected, Identifiers.wellFormed(value), value);
            assertEquals(expected, Identifiers.problem("room_id", value).isEmpty(), value);
        }
    }
}
