import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ALERTS_FILE, alertRulesYaml } from "./alerts";

/** `npm run observability:rules`: writes the alerting rules with the default thresholds. */
const file = join(__dirname, "..", ALERTS_FILE);
writeFileSync(file, alertRulesYaml());
process.stdout.write(`wrote ${file}\n`);
