import { fileURLToPath } from "node:url";
import { goldenDiagnostics } from "../types/golden-runner.js";

goldenDiagnostics("lint warnings (RPL4xxx)", fileURLToPath(new URL("./", import.meta.url)));
