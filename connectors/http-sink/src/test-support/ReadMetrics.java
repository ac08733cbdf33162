import com.sun.tools.attach.VirtualMachine;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Test support for the integration tests: prints the MBeans of a running JVM that match an
 * ObjectName pattern, one JSON object per line (`{"name": ..., "attributes": {...}}`, numbers
 * as numbers). It attaches to the JVM by pid with the JDK's attach API and starts (or reuses) its
 * local management agent, so the worker needs no JMX port or flag. Run as a single-file program
 * by the same user as the worker:
 *
 *   java ReadMetrics.java <pid> '<object name pattern>'
 */
public final class ReadMetrics {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MBeanServerConnection server = jmx.getMBeanServerConnection();
      Set<ObjectName> names = server.queryNames(new ObjectName(args[1]), null);
      for (ObjectName name : names) {
        StringBuilder out = new StringBuilder("{\"name\":");
        quote(name.getCanonicalName(), out);
        out.append(",\"attributes\":{");
        boolean first = true;
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
          Object v = server.getAttribute(name, a.getName());
          if (!first) out.append(',');
          first = false;
          quote(a.getName(), out);
          out.append(':');
          if (v instanceof Number && Double.isFinite(((Number) v).doubleValue())) out.append(v);
          else if (v == null) out.append("null");
          else quote(v.toString(), out);
        }
        System.out.println(out.append("}}"));
      }
    }
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    out.append('"');
  }
}
