/** The apps API (CONTRACT §13) for the "Apps" dialog, given by the workspace with the person's token. */
import { createContext, useContext } from "react";
import type { AppsApi } from "../../state/apps";

export const AppsApiContext = createContext<AppsApi | undefined>(undefined);

export function useAppsApi(): AppsApi {
  const api = useContext(AppsApiContext);
  if (!api) throw new Error("useAppsApi outside <AppsApiContext>");
  return api;
}
