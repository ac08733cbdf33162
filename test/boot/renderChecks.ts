import { RenderedPod } from "./render";

/**
 * What must hold on a secured render before anything starts: no password as an env value, in
 * the container spec or in a ConfigMap, and every `*_SASL_JAAS_CONFIG` variable a `secretKeyRef`
 * to the component's credentials Secret (key `sasl.jaas.config`), never a value.
 */
export function expectNoPasswordInEnv(
  pod: RenderedPod,
  secretName: string,
  passwords: readonly string[],
): void {
  for (const entry of pod.env) {
    const leaked = passwords.some((p) => (entry.value ?? "").includes(p));
    expect([entry.name, leaked]).toEqual([entry.name, false]);
  }
  const container = JSON.stringify(pod.container);
  expect(passwords.some((p) => container.includes(p))).toBe(false);
  const configMaps = JSON.stringify(pod.configMaps);
  expect(passwords.some((p) => configMaps.includes(p))).toBe(false);
  const jaas = pod.env.filter((x) => x.name.endsWith("_SASL_JAAS_CONFIG"));
  expect(jaas.length).toBeGreaterThan(0);
  for (const entry of jaas) {
    expect(entry).toEqual({
      name: entry.name,
      valueFrom: { secretKeyRef: { name: secretName, key: "sasl.jaas.config" } },
    });
  }
}
