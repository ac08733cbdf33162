import { alertGroups, DEFAULT_ALERT_THRESHOLDS } from "../../../observability/alerts";

describe("the alerting rules", () => {
  it("put each threshold into its alert's expression", () => {
    const rules = alertGroups({
      lagRecords: 250,
      clientErrorRatio: 0.02,
      serverErrorRatio: 0.07,
      throttledRatio: 0.3,
      restProxyThrottledRatio: 0.15,
    })[0].rules;
    const expr = (alert: string) => rules.find((r) => r.alert === alert)!.expr;
    expect(expr("TrackingSinkLagGrowing")).toContain("> 250)");
    expect(expr("TrackingDestinationClientErrors")).toMatch(/ > 0\.02$/);
    expect(expr("TrackingDestinationServerErrors")).toMatch(/ > 0\.07$/);
    expect(expr("TrackingDestinationThrottling")).toMatch(/ > 0\.3$/);
    expect(expr("TrackingRestProxyThrottling")).toMatch(/ > 0\.15$/);
  });

  it("label every alert with its severity and the pipeline, as the dashboards select them", () => {
    for (const r of alertGroups()[0].rules) {
      expect(Object.keys(r.labels).sort()).toEqual(["part_of", "severity"]);
      // The sinks' alerts name their connector; the REST proxy's is one per namespace.
      if (r.alert !== "TrackingRestProxyThrottling") {
        expect(r.annotations.summary).toContain("{{ $labels.connector }}");
      }
    }
  });

  it("refuse a negative or missing threshold, naming it", () => {
    expect(() => alertGroups({ ...DEFAULT_ALERT_THRESHOLDS, throttledRatio: -1 })).toThrow(
      "alert threshold throttledRatio must be a number of at least 0 (got -1)",
    );
    expect(() => alertGroups({ ...DEFAULT_ALERT_THRESHOLDS, lagRecords: Number.NaN })).toThrow(
      /lagRecords/,
    );
  });
});
