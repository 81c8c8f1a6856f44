/**
 * HeadBucket's answers, as the SDK reports them, and what the plan makes of each: 200 readable,
 * 404 absent, 403 (exists, not ours to read) and 301 (another Region) not readable. The SDK names a
 * HeadBucket error after its status only when it knows it, so both the status and the name count.
 */
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { bucketPresence } from "../../lib/plan/bucket-exists";
import { inputsOf, mockedAccounts } from "../helpers/aws-mocks";

async function presence(error?: { name: string; status?: number }) {
  const aws = mockedAccounts();
  const s3 = aws.account("111122223333").s3;
  if (!error) s3.on(HeadBucketCommand).resolves({});
  else {
    s3.on(HeadBucketCommand).rejects(
      Object.assign(new Error(`HeadBucket: ${error.name}`), {
        name: error.name,
        $metadata: error.status === undefined ? {} : { httpStatusCode: error.status },
      }),
    );
  }
  const clients = aws.clients({ accountId: "111122223333" } as never, "us-east-1");
  const answer = await bucketPresence(clients.s3, "acme-new-app-data");
  expect(inputsOf(s3, HeadBucketCommand)).toEqual([{ Bucket: "acme-new-app-data" }]);
  return answer;
}

describe("whether a bucket the config creates is already there", () => {
  test("200: readable", async () => {
    expect(await presence()).toBe("readable");
  });

  test.each([
    ["404 by status alone", { name: "UnknownError", status: 404 }],
    ["NotFound by name alone", { name: "NotFound" }],
    ["NoSuchBucket by name alone", { name: "NoSuchBucket" }],
  ])("absent: %s", async (_, error) => {
    expect(await presence(error)).toBe("absent");
  });

  test.each([
    ["403 by status alone", { name: "UnknownError", status: 403 }],
    ["Forbidden by name alone", { name: "Forbidden" }],
    ["301 by status alone", { name: "UnknownError", status: 301 }],
    ["PermanentRedirect by name alone", { name: "PermanentRedirect" }],
  ])("not readable: %s", async (_, error) => {
    expect(await presence(error)).toBe("not readable");
  });

  test.each([
    ["500", { name: "InternalError", status: 500 }],
    ["no status", { name: "TimeoutError" }],
  ])("any other answer (%s) is AWS's own error, not a guess", async (_, error) => {
    await expect(presence(error)).rejects.toThrow(`HeadBucket: ${error.name}`);
  });
});
