import { jsonDifferences, providerAddress } from "../helpers/json-differences";

describe("comparing two builds' JSON", () => {
  test("finds no difference between equal documents, whatever their key order", () => {
    expect(jsonDifferences({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  test("names each differing leaf by its path", () => {
    const left = { terraform: { required_providers: { aws: { version: "6.25.0" } } }, list: [1, 2] };
    const right = { terraform: { required_providers: { aws: { version: "6.66.0" } } }, list: [1, 3] };
    expect(jsonDifferences(left, right)).toEqual([
      { path: "list[1]", left: 2, right: 3 },
      { path: "terraform.required_providers.aws.version", left: "6.25.0", right: "6.66.0" },
    ]);
  });

  test("counts a key or an item only one side has", () => {
    expect(jsonDifferences({ a: 1 }, { b: 1 })).toEqual([
      { path: "a", left: 1, right: undefined },
      { path: "b", left: undefined, right: 1 },
    ]);
    expect(jsonDifferences([1], [1, 2])).toEqual([{ path: "[1]", left: undefined, right: 2 }]);
  });

  test("reads short provider sources as Terraform does", () => {
    expect(providerAddress("aws")).toBe("registry.terraform.io/hashicorp/aws");
    expect(providerAddress("hashicorp/aws")).toBe("registry.terraform.io/hashicorp/aws");
    expect(providerAddress("registry.terraform.io/hashicorp/aws")).toBe("registry.terraform.io/hashicorp/aws");
  });
});
