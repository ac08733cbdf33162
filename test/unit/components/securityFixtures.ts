/**
 * A self-signed CA certificate made once with openssl for these tests (its key was discarded):
 * real PEM, so that the stack's X.509 check reads it as the brokers' CA would be read.
 */
export const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBoDCCAUWgAwIBAgIUVqleWOnYskJbgzpqosJa8UTUEYAwCgYIKoZIzj0EAwIw
JDEiMCAGA1UEAwwZdHJhY2tpbmctcGlwZWxpbmUgdGVzdCBDQTAgFw0yNjEyMDEx
MjQyMzVaGA8yMTI2MTEwNzEyNDIzNVowJDEiMCAGA1UEAwwZdHJhY2tpbmctcGlw
ZWxpbmUgdGVzdCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABKp++Iufgdds
7xknBsbjkN1FtJiaoHaAvT4kRsiFJLbxrOxq5bMkXMwptzilUBYdKJQ5he6RPaMG
cKsjyzML5xujUzBRMB0GA1UdDgQWBBTBvcYNv2Osg6aiEC+oiQJ2+Arn8DAfBgNV
HSMEGDAWgBTBvcYNv2Osg6aiEC+oiQJ2+Arn8DAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0kAMEYCIQC7QPL/cYhS1S84DFOnwIxOzA8BjjP122QFIvRIo2fe
+wIhALiheSAWRnUbUZnq9jAbU5cjy6oTU5wfldY/8tHPUUrs
-----END CERTIFICATE-----
`;

/** A password with every character a JAAS line or a properties file could trip over. */
export const AWKWARD_PASSWORD = "p\"w\\d;x=1 'y";

type EnvVar = { name: string; value?: string; valueFrom?: unknown };

/** The env entries whose name ends with `SASL_JAAS_CONFIG` or is `kafka.sasl.jaas.config`. */
export function jaasEntries(env: readonly EnvVar[]): EnvVar[] {
  return env.filter((e) => /SASL_JAAS_CONFIG$|^kafka\.sasl\.jaas\.config$/.test(e.name));
}
