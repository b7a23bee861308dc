import { fileURLToPath } from "node:url";
import { goldenDiagnostics } from "./golden-runner.js";

goldenDiagnostics("type errors (RPL31xx)", fileURLToPath(new URL("./", import.meta.url)));
