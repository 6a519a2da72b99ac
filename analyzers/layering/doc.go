// Package layering defines an Analyzer that reports imports that break the
// module layering declared in .reloadvet.yml.
//
// # Analyzer layering
//
// layering: reports imports between modules that go up or sideways in the declared layers
//
// A process that reloads modules in place must be able to unload them top
// down and load them bottom up. That works only if the modules form a DAG
// of layers: a package of module M may import packages of M itself, of
// modules in strictly lower layers, and packages that no module owns (the
// standard library, third-party code, the host program). Any other import
// ties M to a module that may be unloaded while M still runs.
//
// Given this config:
//
//	modules:
//	  - {name: core,     packages: ["example.com/app/core/..."]}
//	  - {name: database, packages: ["example.com/app/database/..."]}
//	  - {name: api,      packages: ["example.com/app/api/..."]}
//	  - {name: admin,    packages: ["example.com/app/admin/..."]}
//	layers:
//	  - [core]
//	  - [database]
//	  - [api, admin]
//
// this import is wrong, because database (layer 2) would use api (layer 3),
// which is unloaded first:
//
//	package store // example.com/app/database/store
//
//	import "example.com/app/api/handlers" // module database (layer 2) imports module api (layer 3): a module may only import lower layers
//
// and so is this one, because api and admin are peers that are reloaded
// independently:
//
//	package handlers // example.com/app/api/handlers
//
//	import "example.com/app/admin/users" // module api (layer 3) imports module admin (layer 3): peers in one layer may not import each other
//
// Right: depend downwards only, and pass what a lower module needs from a
// higher one as a value (an interface or a func) when the higher one loads.
//
//	package handlers // example.com/app/api/handlers
//
//	import (
//		"example.com/app/core"
//		"example.com/app/database/store"
//	)
//
// Findings are reported at the import spec, with the config lines that put
// the two modules in their layers as related information.
//
// Imports between modules can also form a cycle through different packages
// of each (api/x imports admin/y, and admin/z imports api/w). Every such
// cycle contains an import that breaks the layering, since layers are
// strictly ordered, and that import is reported like any other. The
// analyzer does not name cycles: it sees one package, and a cycle runs
// through the imports of many, so whether a package's import closes one
// depends on packages it does not import. Naming cycles is a program-level
// pass of the reloadvet command, which reads the import graph of the whole
// run from the go command: it names every elementary cycle between modules
// once, at its first breaking import in the packages it checks, with each
// step of the cycle as related information (category module-cycle, see
// ProgramCycles). Under go vet and golangci-lint the analyzer's findings are
// the same as under the command, and cycles are not named.
//
// Packages owned by no module are not checked; without a config there is
// nothing to check. _test.go files are checked only with tests: true in the
// config or the -tests flag.
//
// Categories:
//
//   - upward-import: an import of a module in a higher layer.
//   - sideways-import: an import of another module in the same layer.
//   - module-cycle: modules whose imports form a cycle (the reloadvet
//     command's program-level pass only).
//   - unused-directive: a //reloadvet:ignore directive naming layering that
//     suppresses nothing.
package layering
