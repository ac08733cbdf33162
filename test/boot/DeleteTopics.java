import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Deletes the topics a boot test created: `java -cp <kafka libs>/* DeleteTopics.java <client
 * properties> <topic>...` (a single-file source program, run by the JDK as is). The platform's
 * admin tool has no delete step; this one exists only for a test's clean-up. A topic already gone
 * is not an error.
 */
public final class DeleteTopics {
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    try (InputStream in = new FileInputStream(args[0])) {
      config.load(in);
    }
    List<String> topics = Arrays.asList(args).subList(1, args.length);
    try (Admin admin = Admin.create(config)) {
      for (String topic : topics) {
        try {
          admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
          System.out.println("{\"op\":\"deleteTopic\",\"name\":\"" + topic + "\",\"outcome\":\"deleted\"}");
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw e;
          System.out.println("{\"op\":\"deleteTopic\",\"name\":\"" + topic + "\",\"outcome\":\"absent\"}");
        }
      }
    }
  }
}
