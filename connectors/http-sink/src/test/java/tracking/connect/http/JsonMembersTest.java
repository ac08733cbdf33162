package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonMembersTest {
  @Test
  void readsATopLevelMemberPastNestedValuesAndStrings() {
    String json = " { \"a\" : {\"id\":\"inner\",\"x\":[1,{\"id\":2}]}, \"s\":\"q\\\"}, \\\"id\\\":1\","
        + " \"n\":-1.5e3, \"id\" : \"e-1\" } ";
    assertEquals("\"e-1\"", JsonMembers.valueOf(json, "id"));
    assertEquals("-1.5e3", JsonMembers.valueOf(json, "n"));
    assertEquals("{\"id\":\"inner\",\"x\":[1,{\"id\":2}]}", JsonMembers.valueOf(json, "a"));
    assertNull(JsonMembers.valueOf(json, "missing"));
    assertNull(JsonMembers.valueOf("[{\"id\":1}]", "id"));
    assertNull(JsonMembers.valueOf("not json", "id"));
    assertNull(JsonMembers.valueOf("{\"id\":", "id"));
    assertEquals("1", JsonMembers.valueOf("{\"\\u0069d\":1}", "id"));
  }

  @Test
  void addsAMemberAtTheTopOrInsideAnObjectKeepingTheRestByteForByte() {
    String event = "{\"id\":\"e1\", \"properties\" : {\"page\":\"/a\"}}";
    assertEquals("{\"insert_id\":\"e1\",\"id\":\"e1\", \"properties\" : {\"page\":\"/a\"}}",
        JsonMembers.insert(event, List.of("insert_id"), "\"e1\""));
    assertEquals("{\"id\":\"e1\", \"properties\" : {\"$insert_id\":\"e1\",\"page\":\"/a\"}}",
        JsonMembers.insert(event, List.of("properties", "$insert_id"), "\"e1\""));
    // Objects on the way that are absent are created.
    assertEquals("{\"context\":{\"ids\":{\"messageId\":\"e1\"}},\"id\":\"e1\"}",
        JsonMembers.insert("{\"id\":\"e1\"}", List.of("context", "ids", "messageId"), "\"e1\""));
    assertEquals(" {\"insert_id\":7  }", JsonMembers.insert(" {  }", List.of("insert_id"), "7"));
  }

  @Test
  void leavesTheEventAloneWhenTheTargetIsThereOrCannotBeReached() {
    String own = "{\"id\":\"e1\",\"insert_id\":\"mine\"}";
    assertEquals(own, JsonMembers.insert(own, List.of("insert_id"), "\"e1\""));
    String scalar = "{\"id\":\"e1\",\"properties\":\"flat\"}";
    assertEquals(scalar, JsonMembers.insert(scalar, List.of("properties", "$insert_id"), "\"e1\""));
    assertEquals("[1,2]", JsonMembers.insert("[1,2]", List.of("insert_id"), "\"e1\""));
    assertEquals("plain text", JsonMembers.insert("plain text", List.of("insert_id"), "\"e1\""));
  }
}
