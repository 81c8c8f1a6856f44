import { BINDINGS_PROVIDER_VERSION, constraintRange, providerVersionProblem } from "../../lib/config/provider-version";
import { configWith, problemsOf } from "../helpers/config";

describe("AWS provider version constraint", () => {
  describe("the range a constraint allows", () => {
    test("an exact version allows that release only", () => {
      expect(constraintRange("6.40.0")).toEqual({
        lower: { version: [6, 40, 0], inclusive: true },
        upper: { version: [6, 40, 0], inclusive: true },
      });
      expect(constraintRange("= 6.40.0")).toEqual(constraintRange("6.40.0"));
    });

    test("~> with two parts allows the rest of the major version", () => {
      expect(constraintRange("~> 6.40")).toEqual({
        lower: { version: [6, 40, 0], inclusive: true },
        upper: { version: [7, 0, 0], inclusive: false },
      });
    });

    test("~> with three parts allows the rest of the minor version", () => {
      expect(constraintRange("~> 6.40.1")).toEqual({
        lower: { version: [6, 40, 1], inclusive: true },
        upper: { version: [6, 41, 0], inclusive: false },
      });
    });

    test("clauses narrow each other, and != does not move the bounds", () => {
      expect(constraintRange(">= 6.30, > 6.40.0, < 6.90, <= 6.80.0, != 6.50.0")).toEqual({
        lower: { version: [6, 40, 0], inclusive: false },
        upper: { version: [6, 80, 0], inclusive: true },
      });
    });

    test("is undefined for anything but plain releases", () => {
      expect(constraintRange("6.40.0-beta1")).toBeUndefined();
      expect(constraintRange("latest")).toBeUndefined();
      expect(constraintRange("")).toBeUndefined();
      expect(constraintRange(">= 6.40,")).toBeUndefined();
    });
  });

  describe("within what the bindings support", () => {
    test.each(["6.25.0", "~> 6.25", "~> 6.40", "~> 6.40.1", ">= 6.40.0, < 7.0.0", "> 6.25.0, <= 6.99.0", "6.66.0"])(
      "accepts %s for bindings of 6.25.0",
      (constraint) => {
        expect(providerVersionProblem(constraint, "6.25.0")).toBeUndefined();
      },
    );

    test("rejects a release before the bindings'", () => {
      expect(providerVersionProblem("~> 6.0", "6.25.0")).toBe(
        'allows AWS provider releases before 6.25.0, the release these bindings were generated from: start at 6.25.0 or later, like "~> 6.25" or ">= 6.25.0, < 7.0.0"',
      );
      expect(providerVersionProblem("5.100.0", "6.25.0")).toBe(providerVersionProblem("~> 6.0", "6.25.0"));
    });

    test("rejects a range without a lower bound", () => {
      expect(providerVersionProblem("< 6.90.0", "6.25.0")).toBe(providerVersionProblem("~> 6.0", "6.25.0"));
    });

    test("rejects the next major version, or a range without an upper bound", () => {
      const message =
        'allows AWS provider 7.0.0 or later, a major version these bindings were not generated for: end before 7.0.0, like "~> 6.25" or ">= 6.25.0, < 7.0.0"';
      expect(providerVersionProblem(">= 6.40.0", "6.25.0")).toBe(message);
      expect(providerVersionProblem(">= 6.40.0, <= 7.0.0", "6.25.0")).toBe(message);
      expect(providerVersionProblem("7.0.0", "6.25.0")).toBe(message);
    });

    test("rejects a range that allows nothing", () => {
      expect(providerVersionProblem(">= 6.50.0, < 6.40.0", "6.25.0")).toBe(
        "allows no release at all: check the bounds",
      );
      expect(providerVersionProblem("> 6.40.0, <= 6.40.0", "6.25.0")).toBe(
        "allows no release at all: check the bounds",
      );
    });

    test("rejects what is not a version constraint", () => {
      expect(providerVersionProblem("6.40.0-beta1", "6.25.0")).toBe(
        'must be a Terraform version constraint of plain releases, like "~> 6.25" or ">= 6.25.0, < 7.0.0"',
      );
    });
  });

  describe("in the config", () => {
    const [major, minor] = BINDINGS_PROVIDER_VERSION.split(".");

    test("names the field and the fix", () => {
      const config = configWith((c) => {
        c.awsProviderVersion = `~> ${major}.0`;
      });
      expect(problemsOf(config)).toEqual([
        `awsProviderVersion: allows AWS provider releases before ${BINDINGS_PROVIDER_VERSION}, the release these bindings were generated from: start at ${BINDINGS_PROVIDER_VERSION} or later, like "~> ${major}.${minor}" or ">= ${BINDINGS_PROVIDER_VERSION}, < ${Number(major) + 1}.0.0"`,
      ]);
    });

    test("rejects a number in place of a constraint", () => {
      const config = configWith((c) => {
        (c as Record<string, unknown>).awsProviderVersion = 6.4;
      });
      expect(problemsOf(config)).toEqual([
        "awsProviderVersion: must be a string, not a number: put the value in quotes",
      ]);
    });
  });
});
