// What a TypeScript client writes against the types openapi-typescript generates from
// schemas/openapi.json; `cargo xtask contract` type-checks it with `tsc --strict`.
import type { components, operations, paths } from "./openapi";

type Trash = components["schemas"]["TrashRequest"];
type Purge = components["schemas"]["PurgeRequest"];
type Recording = components["schemas"]["Recording"];
type List = components["schemas"]["RecordingList"];
type Report = components["schemas"]["BulkReport"];
type ErrorBody = components["schemas"]["ErrorResponse"];

// Request bodies as a client naturally writes them: no flag needed when acting by ID.
export const byIds: Trash = { recordingIds: ["4f914b1dfe3c4d11a61730f18c0f5387"] };
export const allMine: Purge = { purgeAll: true };
export const allOf: Purge = { purgeAll: true, ownerEmail: "alice@example.com" };

// A list page and a recording with the official fields, and one with unknown fields.
export const page: List = {
  items: [
    {
      id: "ea0efc7c-f83a-4972-b0eb-c0f30cff5e61",
      topic: "Call with TestUser6",
      createTime: "2024-10-04T16:24:25Z",
      timeRecorded: "2024-10-04T16:20:20Z",
      format: "MP3",
      serviceType: "calling",
      durationSeconds: 23,
      sizeBytes: 74222,
      status: "available",
      ownerId: "a6aad220-e520-4529-a191-e84a72c0c9c2",
      ownerEmail: "user@example.com",
      ownerType: "user",
      storageRegion: "US",
      serviceData: { locationId: "02a43ee9", callSessionId: "b51c62ea" },
    },
  ],
};
export const future: Recording = { id: "x", temporaryDirectDownloadLinks: { audioDownloadLink: "u" } };

export function firstId(l: List): string | null | undefined {
  return l.items?.[0]?.id;
}

// Responses and parameters of the operations.
type ListOk =
  paths["/convergedRecordings"]["get"]["responses"][200]["content"]["application/json"];
export const empty: ListOk = { items: [] };
type Details =
  paths["/convergedRecordings/{recordingId}"]["get"]["responses"][200]["content"]["application/json"];
export const details: Details = { id: "x", status: "purged" };
type AdminQuery = NonNullable<operations["listRecordingsForAdminOrComplianceOfficer"]["parameters"]["query"]>;
export const adminQuery: AdminQuery = {
  status: "purged",
  ownerEmail: "bob@example.com",
  from: "2026-01-01",
  to: "2026-01-31T00:00:00Z",
  serviceType: "customerAssist",
  storageRegion: "DE",
  max: 100,
};
export const failure: ErrorBody = { message: "m", errors: [{ description: "d", errorCode: 7 }], trackingId: "t" };
export function failedIds(r: Report): string[] {
  return r.failed.map((f) => f.id);
}
