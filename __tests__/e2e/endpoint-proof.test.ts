// The endpoint proof's rule for `status`, which the emulator cannot answer: n/a only for the
// emulator's own HTTP 404 on DescribeJob, never for an unreachable endpoint or a success.
import type { CommandResult } from "./command";
import { statusNotApplicable } from "./endpoint-proof";

const status = (code: number, stderr: string): CommandResult => ({ code, stdout: "", stderr, seconds: 1 });

describe("status against the emulator", () => {
  it("is n/a when the emulator answers DescribeJob with its HTTP 404 page", () => {
    expect(
      statusNotApplicable(
        status(
          1,
          "error: the endpoint answered HTTP 404 with something that is not an AWS answer (@aws-sdk XML parse error: mismatched tags <html> and </title>.): it may not implement this call (an emulator), or not be the service the setting meant\nsee help/troubleshooting.md#the-tools-cannot-reach-aws-or-the-endpoint\n",
        ),
      ),
    ).toBe(true);
  });

  it("fails on an unreachable endpoint, another status, another exit code", () => {
    expect(
      statusNotApplicable(
        status(
          1,
          "error: cannot reach 111122223333.s3-control.us-east-1.amazonaws.com: no such host. Is the endpoint (AWS_ENDPOINT_URL, a profile's endpoint_url, --endpoint-url) right and running?\n",
        ),
      ),
    ).toBe(false);
    expect(
      statusNotApplicable(
        status(1, "error: the endpoint answered HTTP 500 with something that is not an AWS answer (x)"),
      ),
    ).toBe(false);
    expect(
      statusNotApplicable(
        status(2, "error: the endpoint answered HTTP 404 with something that is not an AWS answer (x)"),
      ),
    ).toBe(false);
    expect(statusNotApplicable(status(0, ""))).toBe(false);
  });
});
