import { displayUrl, kafkaVersionOf } from "../../../../providers/connect/client";

describe("Connect client: helpers", () => {
  it("hides credentials of the endpoint URL in messages", () => {
    expect(displayUrl("https://u:p@connect:8083/")).toBe("https://connect:8083");
  });

  it("reads Kafka's version, also from Confluent Platform's numbering", () => {
    expect(kafkaVersionOf("4.4.0")).toBe(4004);
    expect(kafkaVersionOf("3.6.1")).toBe(3006);
    expect(kafkaVersionOf("7.9.1-ccs")).toBe(3009);
    expect(kafkaVersionOf("8.0.0-ce")).toBe(4000);
    expect(kafkaVersionOf("weird")).toBe(0);
    expect(kafkaVersionOf(undefined)).toBe(0);
  });
});
