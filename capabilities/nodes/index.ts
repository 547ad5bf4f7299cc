/** Bindings of the edge-nodes capability; the logic lives in edge-defaults.ts and device-write.ts. */
import { a } from "pepr";
import { EDGE_AGENT_LABEL, EDGE_NODE_ROLE_LABEL } from "@kubeedge-ts/contract";
import { Device, DeviceModel } from "../../crds/index.js";
import { EdgeNodesCapability, When } from "./capability.js";
import {
  addEdgeNodeDefaults,
  denyNodeWrite,
  grantEdgeRole,
  rebuildDeviceWriteFromNode,
  restrictDeviceWriteFromNode,
} from "./handlers.js";
import { forgetJoinedNode, grantJoinedNode } from "./join-grants.js";

When(a.Node).IsCreatedOrUpdated().WithLabel(EDGE_NODE_ROLE_LABEL).Mutate(addEdgeNodeDefaults);
When(a.Node).IsCreatedOrUpdated().WithLabel(EDGE_AGENT_LABEL).Watch(grantEdgeRole);
When(a.CertificateSigningRequest).IsCreatedOrUpdated().Watch(grantJoinedNode);
When(a.Node).IsDeleted().WithLabel(EDGE_AGENT_LABEL).Watch(forgetJoinedNode);

When(Device)
  .IsCreatedOrUpdated()
  .Mutate(rebuildDeviceWriteFromNode)
  .Validate(restrictDeviceWriteFromNode);
When(Device).IsDeleted().Validate(denyNodeWrite("Device"));
When(DeviceModel).IsCreatedOrUpdated().Validate(denyNodeWrite("DeviceModel"));
When(DeviceModel).IsDeleted().Validate(denyNodeWrite("DeviceModel"));

export { EdgeNodesCapability as EdgeNodes };
