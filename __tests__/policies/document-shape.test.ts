/**
 * The written form of the documents, which IAM reads the same either way but a reviewer reads in
 * every plan: the fewest prefixes, actions in the order of AWS's replication pages, one value as a
 * string and several as a list, pretty-printed JSON, and each statement's Sid. documents.test.ts
 * compares as IAM does, so it cannot see these; `npm run test:mutation` found them unpinned.
 */
import { coveringPrefixes, groupByResources, inActionOrder, objectGrants } from "../../lib/policies/object-grants";
import { oneOrMany, policyDocument, toJson } from "../../lib/policies/policy-document";
import { ROLE_DESTINATION_SIDS } from "../../lib/policies/role-policy";

const rule = (prefix: string | undefined, deleteMarkerReplication = false, ownerOverride = false) => ({
  filter: { prefix, tags: [] },
  deleteMarkerReplication,
  ownerOverride,
});

describe("the prefixes a grant is written with", () => {
  test("are sorted, once each, without a prefix another one covers", () => {
    expect(coveringPrefixes([rule("logs/app/"), rule("logs/"), rule("data/"), rule("logs/"), rule("data-2/")])).toEqual(
      ["data-2/", "data/", "logs/"],
    );
  });

  test("a prefix is covered only by one it starts with", () => {
    expect(coveringPrefixes([rule("b/logs/"), rule("logs/")])).toEqual(["b/logs/", "logs/"]);
  });

  test("are the whole bucket when one rule has no prefix", () => {
    expect(coveringPrefixes([rule("logs/"), rule(undefined)])).toEqual([""]);
  });
});

describe("the actions of a statement", () => {
  test("are in the order of AWS's replication pages, whatever order they come in", () => {
    expect(
      inActionOrder([
        "s3:ObjectOwnerOverrideToBucketOwner",
        "s3:ReplicateTags",
        "s3:ReplicateDelete",
        "s3:ReplicateObject",
      ]),
    ).toEqual(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]);
  });

  test("of purposes on the same objects share one statement", () => {
    const grants = objectGrants([rule("logs/", true, true)]);
    expect(groupByResources(grants.map((g) => [g.purpose, g.prefixes]))).toEqual([
      {
        purposes: ["replicate", "deleteMarkers", "ownerOverride"],
        actions: [
          "s3:ReplicateObject",
          "s3:ReplicateDelete",
          "s3:ReplicateTags",
          "s3:ObjectOwnerOverrideToBucketOwner",
        ],
        resources: ["logs/"],
      },
    ]);
  });
});

describe("a document's text", () => {
  test("writes one value as a string and several as a list", () => {
    expect(oneOrMany(["s3:GetBucketVersioning"])).toBe("s3:GetBucketVersioning");
    expect(oneOrMany(["a", "b"])).toEqual(["a", "b"]);
    expect(oneOrMany([])).toEqual([]);
  });

  test("is pretty-printed, one value per line, so a plan diff shows each", () => {
    expect(toJson(policyDocument([{ Sid: "S", Effect: "Allow", Action: ["a", "b"] }]))).toBe(
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "S",\n      "Effect": "Allow",\n      "Action": [\n        "a",\n        "b"\n      ]\n    }\n  ]\n}',
    );
  });

  test("names the role's destination-object statements by their first purpose", () => {
    expect(ROLE_DESTINATION_SIDS).toEqual({
      replicate: "DestinationObjectPermissions",
      deleteMarkers: "DestinationDeleteMarkers",
      ownerOverride: "DestinationOwnerOverride",
    });
  });
});
