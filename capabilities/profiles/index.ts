import { a } from "pepr";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "@kubeedge-ts/contract";
import { ProfilesCapability, When } from "./capability.js";

When(a.ConfigMap)
  .IsCreatedOrUpdated()
  .WithLabel(MANAGED_BY_LABEL, MANAGED_BY_VALUE)
  .Watch(cm => {
    console.log("profile configmap seen", cm.metadata?.namespace, cm.metadata?.name);
  });

export { ProfilesCapability as Profiles };
