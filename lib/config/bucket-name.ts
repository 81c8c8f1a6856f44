/**
 * The S3 general purpose bucket naming rules, as one function that says what is wrong.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Returns why `name` is not a valid S3 bucket name, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return `must be 3 to 63 characters long (it has ${name.length})`;
  }
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return "may hold only lowercase letters, digits, dots (.) and hyphens (-)";
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "must begin and end with a lowercase letter or a digit";
  }
  if (name.includes("..")) {
    return "must not contain two adjacent dots";
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    return "must not be formatted as an IP address";
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) {
    return `must not start with the reserved prefix "${prefix}"`;
  }
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) {
    return `must not end with the reserved suffix "${suffix}"`;
  }
  return undefined;
}
