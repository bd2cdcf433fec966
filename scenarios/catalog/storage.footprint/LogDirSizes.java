import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Bytes on disk of some topics, as every broker accounts for them (DescribeLogDirs: the call
 * Kafka's kafka-log-dirs tool makes), with each topic's cleanup.policy. Run in source-file mode
 * on the Kafka jars the lab resolved: `java -cp '<libs>/*' LogDirSizes.java <bootstrap> <topic>...`.
 * Prints one JSON document on stdout; anything else goes to stderr.
 */
public class LogDirSizes {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LogDirSizes <bootstrap-servers> [topic...]");
      System.exit(2);
    }
    Set<String> topics = new HashSet<>(Arrays.asList(args).subList(1, args.length));
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "cdc-es-lab-log-dir-sizes");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(properties)) {
      Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
      List<Integer> brokers = new ArrayList<>();
      for (Node node : nodes) brokers.add(node.id());
      Map<Integer, Map<String, LogDirDescription>> described = admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS);
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      StringBuilder out = new StringBuilder("{\"partitions\":[");
      boolean first = true;
      for (Map.Entry<Integer, Map<String, LogDirDescription>> broker : described.entrySet()) {
        for (Map.Entry<String, LogDirDescription> dir : broker.getValue().entrySet()) {
          for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.getValue().replicaInfos().entrySet()) {
            TopicPartition partition = replica.getKey();
            if (!topics.contains(partition.topic())) continue;
            if (!first) out.append(',');
            first = false;
            out.append("{\"broker\":").append(broker.getKey())
                .append(",\"logDir\":").append(quote(dir.getKey()))
                .append(",\"topic\":").append(quote(partition.topic()))
                .append(",\"partition\":").append(partition.partition())
                .append(",\"sizeBytes\":").append(replica.getValue().size())
                .append(",\"isFuture\":").append(replica.getValue().isFuture())
                .append('}');
          }
        }
      }
      out.append("],\"cleanupPolicies\":{");
      List<ConfigResource> resources = new ArrayList<>();
      for (String topic : topics) if (existing.contains(topic)) resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      first = true;
      for (Map.Entry<ConfigResource, Config> config : configs.entrySet()) {
        if (!first) out.append(',');
        first = false;
        out.append(quote(config.getKey().name())).append(':').append(quote(config.getValue().get("cleanup.policy").value()));
      }
      out.append("}}");
      System.out.println(out);
    }
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') quoted.append('\\').append(c);
      else if (c < 0x20) quoted.append(String.format("\\u%04x", (int) c));
      else quoted.append(c);
    }
    return quoted.append('"').toString();
  }
}
