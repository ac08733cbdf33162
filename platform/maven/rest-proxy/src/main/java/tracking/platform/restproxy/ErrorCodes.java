package tracking.platform.restproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/** Confluent's `error_code`s for Kafka's failures, and the HTTP status of a produce they give. */
final class ErrorCodes {
  /** Confluent's `error_code`s (rest-utils' KafkaExceptionMapper). */
  static final int KAFKA_AUTHENTICATION_ERROR = 40101;
  static final int KAFKA_AUTHORIZATION_ERROR = 40301;

  private ErrorCodes() {}

  /** Confluent's per-record `error_code` of a producer failure (its AbstractProduceAction). */
  static int of(Throwable e) {
    if (e instanceof AuthenticationException) return KAFKA_AUTHENTICATION_ERROR;
    if (e instanceof AuthorizationException) return KAFKA_AUTHORIZATION_ERROR;
    if (e instanceof RetriableException) return 50003;
    return 50002;
  }

  /**
   * The HTTP status of a v2 produce, as Confluent's ProduceResponse picks it: 401 or 403 when a
   * record failed authentication or authorization, else 200 (other failures stay in the body).
   */
  static int produceStatus(ArrayNode offsets) {
    for (JsonNode offset : offsets) {
      int code = offset.path("error_code").asInt(0);
      if (code == KAFKA_AUTHENTICATION_ERROR) return 401;
      if (code == KAFKA_AUTHORIZATION_ERROR) return 403;
    }
    return 200;
  }
}
