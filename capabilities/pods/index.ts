/** Bindings of the edge-pods capability; the logic lives in edge-pods.ts. */
import { a } from "pepr";
import { EdgePodsCapability, When } from "./capability.js";
import { refuseUnsupportedEdgePod, tolerateEdgeTaint } from "./handlers.js";

When(a.Pod).IsCreated().Mutate(tolerateEdgeTaint).Validate(refuseUnsupportedEdgePod);

export { EdgePodsCapability as EdgePods };
