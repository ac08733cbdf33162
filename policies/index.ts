import { PolicyPack } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT, PACK_NAME, policies } from "./pack";

// Constructing the pack starts serving it to the engine, so nothing else happens in this file.
new PolicyPack(PACK_NAME, { enforcementLevel: DEFAULT_ENFORCEMENT, policies });
