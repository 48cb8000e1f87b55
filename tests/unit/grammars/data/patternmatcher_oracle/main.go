// The differential oracle for dkr.grammars.goglob and dkr.grammars.dockerignore: moby/patternmatcher and
// Go's own path/filepath and regexp, answering one JSON request per line on stdin with one JSON answer per
// line on stdout. Strings travel as base64 bytes, so undecodable bytes survive. Built and run by
// tests/unit/grammars/record_patternmatcher.py (see there); never needed by `make test`.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

type request struct {
	Op       string   `json:"op"`
	Data     []byte   `json:"data"`
	Pattern  []byte   `json:"pattern"`
	Name     []byte   `json:"name"`
	Patterns [][]byte `json:"patterns"`
	Paths    [][]byte `json:"paths"`
}

func failed(err error) bool { return err != nil }

// parentResults walks the path's folders first, as the docker CLI's tar walk does.
func parentResults(pm *patternmatcher.PatternMatcher, text string) any {
	info := patternmatcher.MatchInfo{}
	if parent := filepath.Dir(text); parent != "." {
		dirs := strings.Split(parent, "/")
		for i := range dirs {
			var err error
			if _, info, err = pm.MatchesUsingParentResults(strings.Join(dirs[:i+1], "/"), info); err != nil {
				return "error"
			}
		}
	}
	res, _, err := pm.MatchesUsingParentResults(text, info)
	if err != nil {
		return "error"
	}
	return res
}

func answer(res bool, err error) any {
	if err != nil {
		return "error"
	}
	return res
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			panic(err)
		}
		o := map[string]any{}
		switch r.Op {
		case "readall":
			pats, err := ignorefile.ReadAll(strings.NewReader(string(r.Data)))
			raw := [][]byte{}
			for _, p := range pats {
				raw = append(raw, []byte(p))
			}
			o["patterns"], o["err"] = raw, failed(err)
		case "match":
			m, err := filepath.Match(string(r.Pattern), string(r.Name))
			o["match"], o["err"] = m, failed(err)
		case "compile":
			kind, re, err := patternmatcher.OracleCompile(string(r.Pattern))
			o["kind"], o["re"], o["err"] = kind, []byte(re), failed(err)
		case "regexp":
			re, err := regexp.Compile(string(r.Pattern))
			o["err"] = failed(err)
			if err == nil {
				found := []bool{}
				for _, p := range r.Paths {
					found = append(found, re.MatchString(string(p)))
				}
				o["matches"] = found
			}
		case "matcher":
			patterns := []string{}
			for _, p := range r.Patterns {
				patterns = append(patterns, string(p))
			}
			pm, err := patternmatcher.New(patterns)
			o["err"] = failed(err)
			if err == nil {
				var walk, orParent, legacy []any
				for _, raw := range r.Paths {
					p := string(raw)
					walk = append(walk, parentResults(pm, p))
					orParent = append(orParent, answer(pm.MatchesOrParentMatches(p)))
					legacy = append(legacy, answer(patternmatcher.Matches(p, patterns)))
				}
				o["walk"], o["or_parent"], o["legacy"] = walk, orParent, legacy
			}
		}
		if err := out.Encode(o); err != nil {
			panic(err)
		}
	}
}
