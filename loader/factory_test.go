package loader

import (
	"reflect"
	"testing"
)

func TestIsTrackable(t *testing.T) {
	t.Parallel()
	// Only the sizes and pointers of these types matter.
	type small struct{ _, _ int32 }
	type smallPtr struct{ _ *int }
	type big struct{ _, _, _ int64 }
	for typ, want := range map[reflect.Type]bool{
		reflect.TypeFor[struct{}]():  false, // zero size: one shared address
		reflect.TypeFor[small]():     false, // tiny and pointer-free: packed
		reflect.TypeFor[[0]*int]():   false,
		reflect.TypeFor[smallPtr]():  true,
		reflect.TypeFor[string]():    true,
		reflect.TypeFor[[1]string](): true,
		reflect.TypeFor[big]():       true,
		reflect.TypeFor[inst]():      true,
	} {
		if got := isTrackable(typ); got != want {
			t.Errorf("isTrackable(%v) = %v, want %v", typ, got, want)
		}
	}
}
