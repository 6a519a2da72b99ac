package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The SARIF 2.1.0 schema (OASIS, errata 01) as far as reloadvet's output
// reaches: for each object, the properties it must have, the groups of
// which it must have one (the schema's anyOf), and every property it may
// have (the schema closes each object with additionalProperties: false).
// Properties that hold objects name their definition; "[]" marks arrays.
// The facts are the schema's; the checker is ours.

type sarifDef struct {
	required []string
	anyOf    [][]string
	props    map[string]string // property -> definition of its value, "" for a scalar
}

func sarifSchema() map[string]sarifDef {
	scalars := func(def map[string]string, names ...string) map[string]string {
		for _, n := range names {
			if _, ok := def[n]; !ok {
				def[n] = ""
			}
		}
		return def
	}
	return map[string]sarifDef{
		"sarifLog": {
			required: []string{"version", "runs"},
			props:    scalars(map[string]string{"runs": "[]run"}, "$schema", "version", "inlineExternalProperties", "properties"),
		},
		"run": {
			required: []string{"tool"},
			props: scalars(map[string]string{"tool": "tool", "invocations": "[]invocation", "results": "[]result"},
				"conversion", "language", "versionControlProvenance", "originalUriBaseIds", "artifacts", "logicalLocations",
				"graphs", "automationDetails", "runAggregates", "baselineGuid", "redactionTokens", "defaultEncoding",
				"defaultSourceLanguage", "newlineSequences", "columnKind", "externalPropertyFileReferences",
				"threadFlowLocations", "taxonomies", "addresses", "translations", "policies", "webRequests",
				"webResponses", "specialLocations", "properties"),
		},
		"tool": {
			required: []string{"driver"},
			props:    scalars(map[string]string{"driver": "toolComponent"}, "extensions", "properties"),
		},
		"toolComponent": {
			required: []string{"name"},
			props: scalars(map[string]string{"rules": "[]reportingDescriptor", "shortDescription": "multiformatMessageString", "fullDescription": "multiformatMessageString"},
				"guid", "name", "organization", "product", "productSuite", "fullName", "version", "semanticVersion",
				"dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings",
				"notifications", "taxa", "locations", "language", "contents", "isComprehensive",
				"localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
				"translationMetadata", "supportedTaxonomies", "properties"),
		},
		"reportingDescriptor": {
			required: []string{"id"},
			props: scalars(map[string]string{"shortDescription": "multiformatMessageString", "fullDescription": "multiformatMessageString",
				"help": "multiformatMessageString", "defaultConfiguration": "reportingConfiguration"},
				"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames", "messageStrings", "helpUri",
				"relationships", "properties"),
		},
		"multiformatMessageString": {
			required: []string{"text"},
			props:    scalars(map[string]string{}, "text", "markdown", "properties"),
		},
		"reportingConfiguration": {
			props: scalars(map[string]string{}, "enabled", "level", "rank", "parameters", "properties"),
		},
		"invocation": {
			required: []string{"executionSuccessful"},
			props: scalars(map[string]string{"workingDirectory": "artifactLocation", "executableLocation": "artifactLocation"},
				"commandLine", "arguments", "responseFiles", "startTimeUtc", "endTimeUtc", "exitCode",
				"ruleConfigurationOverrides", "notificationConfigurationOverrides", "toolExecutionNotifications",
				"toolConfigurationNotifications", "exitCodeDescription", "exitSignalName", "exitSignalNumber",
				"processStartFailureMessage", "executionSuccessful", "machine", "account", "processId",
				"environmentVariables", "stdin", "stdout", "stderr", "stdoutStderr", "properties"),
		},
		"artifactLocation": {
			props: scalars(map[string]string{"description": "message"}, "uri", "uriBaseId", "index", "properties"),
		},
		"result": {
			required: []string{"message"},
			props: scalars(map[string]string{"message": "message", "locations": "[]location", "relatedLocations": "[]location", "suppressions": "[]suppression"},
				"ruleId", "ruleIndex", "rule", "kind", "level", "analysisTarget", "guid", "correlationGuid",
				"occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs",
				"graphTraversals", "baselineState", "rank", "attachments", "hostedViewerUri", "workItemUris",
				"provenance", "fixes", "taxa", "webRequest", "webResponse", "properties"),
		},
		"message": {
			anyOf: [][]string{{"text"}, {"id"}},
			props: scalars(map[string]string{}, "text", "markdown", "id", "arguments", "properties"),
		},
		"location": {
			props: scalars(map[string]string{"physicalLocation": "physicalLocation", "message": "message"},
				"id", "logicalLocations", "annotations", "relationships", "properties"),
		},
		"physicalLocation": {
			anyOf: [][]string{{"address"}, {"artifactLocation"}},
			props: scalars(map[string]string{"artifactLocation": "artifactLocation", "region": "region", "contextRegion": "region"},
				"address", "properties"),
		},
		"region": {
			anyOf: [][]string{{"startLine"}, {"charOffset"}, {"byteOffset"}},
			props: scalars(map[string]string{"message": "message"},
				"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
				"byteLength", "snippet", "sourceLanguage", "properties"),
		},
		"suppression": {
			required: []string{"kind"},
			props:    scalars(map[string]string{"location": "location"}, "guid", "kind", "status", "justification", "properties"),
		},
	}
}

// sarifEnums are the schema's enumerations for the scalars reloadvet
// writes, by "definition.property".
func sarifEnums() map[string][]string {
	levels := []string{"none", "note", "warning", "error"}
	return map[string][]string{
		"sarifLog.version":             {"2.1.0"},
		"result.kind":                  {"notApplicable", "pass", "fail", "review", "open", "informational"},
		"result.level":                 levels,
		"reportingConfiguration.level": levels,
		"suppression.kind":             {"inSource", "external"},
	}
}

// checkSARIF returns every way v, decoded JSON of definition def, breaks
// the schema, each with its JSON path.
func checkSARIF(v any, def, path string) []string {
	schema, enums := sarifSchema(), sarifEnums()
	var probs []string
	var walk func(v any, def, path string)
	walk = func(v any, def, path string) {
		if elem, ok := strings.CutPrefix(def, "[]"); ok {
			arr, ok := v.([]any)
			if !ok {
				probs = append(probs, fmt.Sprintf("%s: %T, want an array", path, v))
				return
			}
			for i, e := range arr {
				walk(e, elem, fmt.Sprintf("%s[%d]", path, i))
			}
			return
		}
		obj, ok := v.(map[string]any)
		if !ok {
			probs = append(probs, fmt.Sprintf("%s: %T, want a %s object", path, v, def))
			return
		}
		d := schema[def]
		for _, r := range d.required {
			if _, ok := obj[r]; !ok {
				probs = append(probs, fmt.Sprintf("%s: %s lacks required property %q", path, def, r))
			}
		}
		if len(d.anyOf) > 0 && !slices.ContainsFunc(d.anyOf, func(group []string) bool {
			return !slices.ContainsFunc(group, func(p string) bool { _, ok := obj[p]; return !ok })
		}) {
			probs = append(probs, fmt.Sprintf("%s: %s has none of %v", path, def, d.anyOf))
		}
		for name, val := range obj {
			child, known := d.props[name]
			switch {
			case !known:
				probs = append(probs, fmt.Sprintf("%s: %s does not allow property %q", path, def, name))
			case child != "":
				walk(val, child, path+"."+name)
			default:
				if allowed, ok := enums[def+"."+name]; ok && !slices.Contains(allowed, fmt.Sprint(val)) {
					probs = append(probs, fmt.Sprintf("%s.%s: %v (accepted: %s)", path, name, val, strings.Join(allowed, ", ")))
				}
			}
		}
		if def == "region" {
			for _, p := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
				if n, ok := obj[p].(float64); ok && n < 1 {
					probs = append(probs, fmt.Sprintf("%s.%s: %v (accepted: 1 or more)", path, p, n))
				}
			}
		}
	}
	walk(v, def, path)
	slices.Sort(probs)
	return probs
}

// checkCodeScanning returns what code scanning needs beyond the schema
// and is missing: rules with help text and a help URL, results naming
// one of the rules and located in a file.
func checkCodeScanning(log map[string]any) []string {
	var probs []string
	runs, _ := log["runs"].([]any)
	for i, r := range runs {
		run, _ := r.(map[string]any)
		driver, _ := dig(run, "tool", "driver").(map[string]any)
		rules, _ := driver["rules"].([]any)
		ids := map[string]bool{}
		for j, rl := range rules {
			rule, _ := rl.(map[string]any)
			id, _ := rule["id"].(string)
			ids[id] = true
			if text, _ := dig(rule, "help", "text").(string); text == "" {
				probs = append(probs, fmt.Sprintf("runs[%d].tool.driver.rules[%d] (%s): no help text", i, j, id))
			}
			if u, _ := rule["helpUri"].(string); !isAbsoluteURL(u) {
				probs = append(probs, fmt.Sprintf("runs[%d].tool.driver.rules[%d] (%s): helpUri %q is not an absolute URL", i, j, id, u))
			}
		}
		results, ok := run["results"].([]any)
		if !ok {
			probs = append(probs, fmt.Sprintf("runs[%d]: no results array (a scan must have one, empty or not)", i))
		}
		for j, rs := range results {
			res, _ := rs.(map[string]any)
			if id, _ := res["ruleId"].(string); !ids[id] {
				probs = append(probs, fmt.Sprintf("runs[%d].results[%d]: ruleId %q names no rule of the driver", i, j, id))
			}
			locs, _ := res["locations"].([]any)
			if len(locs) == 0 {
				probs = append(probs, fmt.Sprintf("runs[%d].results[%d]: no locations", i, j))
			}
			for k, l := range locs {
				loc, _ := l.(map[string]any)
				uri, _ := dig(loc, "physicalLocation", "artifactLocation", "uri").(string)
				if _, err := url.Parse(uri); uri == "" || err != nil {
					probs = append(probs, fmt.Sprintf("runs[%d].results[%d].locations[%d]: artifact uri %q", i, j, k, uri))
				}
				if _, ok := dig(loc, "physicalLocation", "region", "startLine").(float64); !ok {
					probs = append(probs, fmt.Sprintf("runs[%d].results[%d].locations[%d]: no start line", i, j, k))
				}
			}
		}
	}
	return probs
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

func TestSARIFSchema(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"findings", []string{"./..."}, exitFindings},
		{"clean", []string{"./core/..."}, exitClean},
	} {
		r := reloadvet(t, dir, append([]string{"-format", "sarif"}, tc.args...)...)
		expectCode(t, r, tc.code)
		var log map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, r.stdout)
		}
		for _, p := range append(checkSARIF(log, "sarifLog", "$"), checkCodeScanning(log)...) {
			t.Errorf("%s: %s", tc.name, p)
		}
		if tc.code == exitFindings && len(dig(log, "runs").([]any)[0].(map[string]any)["results"].([]any)) == 0 {
			t.Errorf("%s: no results to check", tc.name)
		}
	}
}

// TestSARIFChecker makes sure the checks above can fail.
func TestSARIFChecker(t *testing.T) {
	t.Parallel()
	bad := map[string]any{
		"version": "2.0.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name":  "x",
				"rules": []any{map[string]any{"id": "a", "helpUri": "docs/a"}},
			}},
			"results": []any{map[string]any{
				"ruleId":    "b",
				"level":     "fatal",
				"message":   map[string]any{},
				"locations": []any{map[string]any{"physicalLocation": map[string]any{"region": map[string]any{"startLine": 0.0}}}},
				"extra":     true,
			}},
		}},
	}
	got := strings.Join(append(checkSARIF(bad, "sarifLog", "$"), checkCodeScanning(bad)...), "\n")
	for _, want := range []string{
		"$.version: 2.0.0 (accepted: 2.1.0)",
		`$.runs[0].results[0]: result does not allow property "extra"`,
		"$.runs[0].results[0].level: fatal (accepted: none, note, warning, error)",
		"$.runs[0].results[0].message: message has none of [[text] [id]]",
		"$.runs[0].results[0].locations[0].physicalLocation: physicalLocation has none of [[address] [artifactLocation]]",
		"$.runs[0].results[0].locations[0].physicalLocation.region.startLine: 0 (accepted: 1 or more)",
		"rules[0] (a): no help text",
		`rules[0] (a): helpUri "docs/a" is not an absolute URL`,
		`results[0]: ruleId "b" names no rule of the driver`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the checker missed %q; it found:\n%s", want, got)
		}
	}
}
