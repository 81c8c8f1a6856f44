// cdktf's Testing.setupJest() matchers (toHaveResourceWithProperties, ...), for the type-checker.
/// <reference path="../node_modules/cdktf/lib/testing/adapters/jest.d.ts" />
