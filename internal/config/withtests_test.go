package config

import (
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"
)

// TestWithTestsKeepsEveryField fills every exported field of a Config
// with a random value and checks that withTests (what -tests and
// ForceTests use) keeps each but Tests: a field added to Config and not
// to withTests would silently reset an option for runs with -tests.
func TestWithTestsKeepsEveryField(t *testing.T) {
	c := &Config{}
	v := reflect.ValueOf(c).Elem()
	r := rand.New(rand.NewSource(1))
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Name == "Tests" {
			continue
		}
		for {
			x, ok := quick.Value(f.Type, r)
			if !ok {
				t.Fatalf("cannot make a value of field %s (%v)", f.Name, f.Type)
			}
			if !x.IsZero() {
				v.Field(i).Set(x)
				break
			}
		}
	}
	got := reflect.ValueOf(c.withTests()).Elem()
	if !got.FieldByName("Tests").Bool() {
		t.Error("withTests did not set Tests")
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Name == "Tests" {
			continue
		}
		if !reflect.DeepEqual(got.Field(i).Interface(), v.Field(i).Interface()) {
			t.Errorf("withTests drops field %s", f.Name)
		}
	}
}
