package crosscallback

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/configpos"
)

// A checker reports the callbacks of one module package that end up in
// storage outliving the module.
type checker struct {
	a       *pkgAnalysis
	module  *config.Module
	layer   int
	files   map[*token.File]*ast.File // the files in scope
	cfgFile *configpos.File
	pending map[token.Pos]*pendingDiag // one finding per range, reported at the end
	order   []token.Pos
	handles map[*types.Named]bool
	opts    *options
}

// A seed is a func value whose code belongs to the module, or a value of
// one of its types handed over as an interface with methods.
type seed struct {
	value ssa.Value
	use   ssa.Instruction // for a function constant, the instruction using it
	obj   types.Object    // for a function constant, the function
	expr  ast.Expr        // where it is written, when known
	what  string          // "method value s.Flush", "func literal", ...
}

func (c *checker) run() {
	defer c.flush()
	for _, fn := range c.a.funcs {
		// The package initialiser has no position of its own; its
		// instructions have those of the initialisers they come from.
		synthetic := fn.Synthetic != ""
		if !synthetic && c.files[c.a.pass.Fset.File(fn.Pos())] == nil {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if synthetic && c.files[c.a.pass.Fset.File(instr.Pos())] == nil {
					continue
				}
				c.seedsIn(instr)
			}
		}
	}
}

// seedsIn follows every seed that instr makes or uses.
func (c *checker) seedsIn(instr ssa.Instruction) {
	if v, ok := instr.(ssa.Value); ok {
		if s, ok := c.seedValue(v); ok {
			c.follow(s)
		}
	}
	var callee ssa.Value
	switch in := instr.(type) {
	case ssa.CallInstruction:
		callee = in.Common().Value
	case *ssa.MakeClosure:
		callee = in.Fn
	}
	for _, op := range instr.Operands(nil) {
		if fn, ok := (*op).(*ssa.Function); ok && *op != callee {
			if s, ok := c.seedFunc(fn, instr); ok {
				c.follow(s)
			}
		}
	}
}

// seedValue returns the seed v makes, if any:
//
//	func() { ... }         a func literal with free variables
//	s.Flush                a method value of a type of the module
//	Handler(&server{})     a value of a type of the module converted to an
//	                       interface with methods (other than error and
//	                       fmt.Stringer)
func (c *checker) seedValue(v ssa.Value) (seed, bool) {
	switch v := v.(type) {
	case *ssa.MakeClosure:
		fn := v.Fn.(*ssa.Function)
		if fn.Parent() != nil {
			lit, ok := fn.Syntax().(*ast.FuncLit)
			return seed{value: v, expr: lit, what: "func literal"}, ok
		}
		obj, ok := fn.Object().(*types.Func)
		if !ok || !c.ownsPkg(obj.Pkg()) {
			return seed{}, false
		}
		s := seed{value: v, what: "method value " + obj.Name()}
		if sel := c.selectorAt(v.Pos()); sel != nil {
			s.expr, s.what = sel, "method value "+types.ExprString(sel)
		}
		return s, true
	case *ssa.MakeInterface:
		named := namedOf(v.X.Type())
		if named == nil || !c.ownsPkg(named.Obj().Pkg()) || !c.isCallbackInterface(v.Type()) {
			return seed{}, false
		}
		if _, isFunc := named.Underlying().(*types.Signature); isFunc {
			return seed{}, false // the func it holds is a seed of its own
		}
		if !c.implementsOwn(v.X.Type(), v.Type()) {
			return seed{}, false // every method promoted from another's type
		}
		return seed{value: v, what: "value of type " + types.TypeString(v.X.Type(), types.RelativeTo(nil))}, true
	}
	return seed{}, false
}

// seedFunc returns the seed a function constant used by instr makes:
//
//	func() { ... }    a func literal without free variables
//	flush, pkg.Flush  a declared function of the module
//	(*Store).Flush    a method expression of a type of the module
func (c *checker) seedFunc(fn *ssa.Function, instr ssa.Instruction) (seed, bool) {
	if fn.Parent() != nil {
		lit, ok := fn.Syntax().(*ast.FuncLit)
		return seed{value: fn, use: instr, expr: lit, what: "func literal"}, ok
	}
	obj := funcObject(fn)
	if obj == nil || !c.ownsPkg(obj.Pkg()) {
		return seed{}, false
	}
	what := "func " + funcName(obj)
	if obj.Signature().Recv() != nil {
		what = "method expression " + funcName(obj)
	}
	return seed{value: fn, use: instr, obj: obj, what: what}, true
}

// follow follows a seed and reports where it is retained.
func (c *checker) follow(s seed) {
	f := c.a.newFlow()
	if s.use != nil {
		f.mode[s.value] = asValue
		f.use(s.use, s.value)
	} else {
		f.add(s.value, asValue, 0)
	}
	f.run()
	// A seed returned by a function of the package goes on in its
	// callers there; the events of those are appended as they come.
	for i := 0; i < len(f.events); i++ {
		e := f.events[i]
		if e.kind == evReturn {
			f.returned(e.instr.Parent(), e.result, e.part)
			f.run()
			continue
		}
		c.judge(s, e)
	}
}

// A findingKind is what keeps a callback; each has its category.
type findingKind uint8

const (
	inPackageState findingKind = iota + 1
	inGoroutine
	inRuntime
	inOutsideObject
)

// A finding is a retention that outlives the module.
type finding struct {
	kind    findingKind
	how     string // "is kept by util.AddHook in package-level state of util (no module)"
	holder  string // module whose layer to show, or ""
	related []analysis.RelatedInformation
	hint    string // what to do, after a colon, or ""
}

// judge reports an event of a seed when it retains the seed somewhere
// that outlives the module.
func (c *checker) judge(s seed, e event) {
	var fd finding
	var ok bool
	switch e.kind {
	case evStore:
		fd, ok = c.stored(e)
	case evCall:
		fd, ok = c.kept(e)
	}
	if !ok {
		return
	}
	atInit := isInit(e.instr.Parent())
	if atInit && c.opts.skipInit.Or(c.a.cfg.Crosscallback.SkipInit) {
		return // turned off: the init-registration category
	}
	pos, end, inRange := c.rangeOf(s, e)
	msg := s.what + " of module " + c.module.Name + " " + fd.how + ", which outlives " + c.module.Name
	if fd.hint != "" {
		msg += ": " + fd.hint
	}
	// One finding per range: several seeds can reach the same hand-over
	// (a method value and the object it is bound to); the seed written in
	// the range says it best.
	if prev, ok := c.pending[pos]; ok && (prev.inRange || !inRange) {
		return
	}
	related := fd.related
	if !inRange && s.expr != nil {
		related = append([]analysis.RelatedInformation{{Pos: s.expr.Pos(), Message: s.what + " is taken here"}}, related...)
	}
	related = append(related, c.cfgFile.Layer(c.module.Name)...)
	if fd.holder != "" {
		related = append(related, c.cfgFile.Layer(fd.holder)...)
	}
	var category string
	switch fd.kind {
	case inPackageState:
		category = "package-state"
	case inGoroutine:
		category = "goroutine"
	case inRuntime:
		category = "runtime-registration"
	case inOutsideObject:
		category = "outside-object"
	}
	if atInit {
		category = "init-registration"
	}
	if _, ok := c.pending[pos]; !ok {
		c.order = append(c.order, pos)
	}
	c.pending[pos] = &pendingDiag{
		diag:    analysis.Diagnostic{Pos: pos, End: end, Category: category, Message: msg, Related: related},
		inRange: inRange,
		instr:   e.instr,
	}
}

type pendingDiag struct {
	diag    analysis.Diagnostic
	inRange bool
	instr   ssa.Instruction
}

// flush reports the pending findings in the order their ranges were
// first found. A callback reached only through another (a field of the
// object a method value is bound to) is left out where a callback written
// in the same call or assignment is reported.
func (c *checker) flush() {
	direct := map[ssa.Instruction]bool{}
	for _, d := range c.pending {
		if d.inRange {
			direct[d.instr] = true
		}
	}
	for _, pos := range c.order {
		if d := c.pending[pos]; d.inRange || !direct[d.instr] {
			c.a.pass.Report(d.diag)
		}
	}
}

// stored judges a store of the seed into an object:
//
//	util.Hooks = append(util.Hooks, s.Flush)
//	reg.Handlers["x"] = s.handle   // reg a parameter of an exported function
func (c *checker) stored(e event) (finding, bool) {
	if st, ok := e.instr.(*ssa.Store); ok && c.a.isRestored(st) {
		return finding{}, false // set for a while and put back
	}
	switch e.root.kind {
	case rootGlobal:
		g := e.root.global
		desc, holder, ok := c.outlives(g.Pkg.Pkg.Path())
		if !ok {
			return finding{}, false
		}
		pkg := g.Pkg.Pkg.Name()
		return finding{kind: inPackageState, holder: holder,
			how: "is stored in " + pkg + "." + g.Name() + ", package-level state of " + pkg + " " + desc}, true
	case rootParam:
		obj := baseObject(e.obj)
		how, holder, related, ok := c.outsideObject(obj)
		if !ok {
			return finding{}, false
		}
		return finding{kind: inOutsideObject, holder: holder, related: related,
			how: "is stored in " + c.exprOf(e.instr.Pos()) + ", " + how}, true
	}
	return finding{}, false
}

// kept judges a call that retains the seed, by its sink.
func (c *checker) kept(e event) (finding, bool) {
	by := "is kept by " + funcName(e.callee)
	if e.via != "" {
		by += ", through what its method " + e.via + " returns,"
	}
	hint := c.undoHint(e)
	switch e.sink.Kind {
	case intoGlobal:
		desc, holder, ok := c.outlives(e.sink.Pkg)
		return finding{kind: inPackageState, holder: holder, hint: hint,
			how: by + " in package-level state of " + c.pkgName(e.sink.Pkg) + " " + desc}, ok
	case intoGo:
		desc, holder, ok := c.outlives(e.sink.Pkg)
		return finding{kind: inGoroutine, holder: holder, hint: hint,
			how: by + " in a goroutine of " + c.pkgName(e.sink.Pkg) + " " + desc}, ok
	case intoRuntime:
		return finding{kind: inRuntime, hint: hint, how: by + " in " + holderOf(e.sink.Pkg)}, true
	case intoParam, intoOwner:
		expr := c.argExprText(e)
		if e.sink.Kind == intoOwner {
			expr = "a goroutine of " + expr
		}
		switch e.root.kind {
		case rootGlobal:
			g := e.root.global
			desc, holder, ok := c.outlives(g.Pkg.Pkg.Path())
			return finding{kind: inPackageState, holder: holder, hint: hint,
				how: by + " in " + expr + ", package-level state of " + g.Pkg.Pkg.Name() + " " + desc}, ok
		case rootParam:
			how, holder, related, ok := c.outsideObject(c.heldObject(e))
			return finding{kind: inOutsideObject, holder: holder, hint: hint, related: related,
				how: by + " in " + expr + ", " + how}, ok
		}
	}
	return finding{}, false
}

// undoHint says to keep what undoes a registration whose undo value the
// call drops.
func (c *checker) undoHint(e event) string {
	u := undoIndex(e.reg, e.callee)
	if u < 0 {
		return ""
	}
	t := types.TypeString(e.callee.Signature().Results().At(u).Type(), c.qualifier)
	return "keep the " + t + " it returns and use it to undo the registration at unload"
}

// outsideObject describes an object the module got from outside, whose
// type is declared in a lower layer or in no module, or reports false.
func (c *checker) outsideObject(obj ssa.Value) (how, holder string, related []analysis.RelatedInformation, ok bool) {
	desc, holder, ok := c.typeOutlives(ownerType(obj))
	if !ok {
		return "", "", nil, false
	}
	o := c.a.origin(obj)
	if !o.outside {
		return "", "", nil, false
	}
	t := types.TypeString(obj.Type(), c.qualifier)
	if desc != "" {
		t += " of " + desc
	}
	return "a " + t + " that " + c.module.Name + " got from outside as " + o.how, holder, o.related, true
}

// outlives describes a package that outlives the module: owned by no
// module, or by one in a lower layer. holder is that module's name.
func (c *checker) outlives(pkgPath string) (desc, holder string, ok bool) {
	owner := c.a.cfg.Owner(pkgPath)
	switch owner {
	case nil:
		return "(no module)", "", true
	case c.module:
		return "", "", false
	}
	layer := c.a.cfg.Layer(owner.Name)
	if layer >= c.layer {
		return "", "", false // a peer or a higher layer does not outlive the module
	}
	return fmt.Sprintf("(module %s, layer %d)", owner.Name, layer), owner.Name, true
}

// typeOutlives reports whether the type of a receiving object is declared
// where it outlives the module: in no module (including unnamed map and
// channel types, described as "") or in a lower layer (described as
// "core (module core, layer 1)"). The handle type of a configured
// spawner belongs to each module and so never outlives it.
func (c *checker) typeOutlives(t types.Type) (desc, holder string, ok bool) {
	named := namedOf(t)
	if named == nil {
		// A map or a channel from outside is someone else's registry or
		// queue; a slice is more often a buffer to fill in.
		switch t.Underlying().(type) {
		case *types.Map, *types.Chan:
			return "", "", true
		}
		return "", "", false
	}
	if c.isHandle(named) || perRequest(named) {
		return "", "", false
	}
	pkg := named.Obj().Pkg()
	if pkg == nil {
		return "", "", true
	}
	desc, holder, ok = c.outlives(pkg.Path())
	return pkg.Name() + " " + desc, holder, ok
}

// perRequest reports whether named is a type whose values live as long
// as one request or one parse, which end before the module can be
// unloaded: an *http.Request (its Body, its context) is dropped when its
// handler returns; a *flag.FlagSet calls what is registered on it while
// it parses a command line, and is dropped after (func
// ConfigureOptions(fs *flag.FlagSet, args []string) registers on the
// caller's set and parses args with it). The default set,
// flag.CommandLine, is package-level state of flag: registrations there
// are still reported.
func perRequest(named *types.Named) bool {
	obj := named.Obj()
	if obj.Pkg() == nil {
		return false
	}
	switch obj.Pkg().Path() {
	case "net/http":
		return obj.Name() == "Request"
	case "flag":
		return obj.Name() == "FlagSet"
	}
	return false
}

// ownerType returns the type that decides whom an object belongs to: its
// own, when named; else, for a map, slice or channel held in a field or an
// element of something, the type of what holds it. A map in a field of the
// module's own struct is the module's.
func ownerType(v ssa.Value) types.Type {
	for namedOf(v.Type()) == nil {
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v.Type()
			}
			v = x.X
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Index:
			v = x.X
		default:
			return v.Type()
		}
	}
	return v.Type()
}

// isHandle reports whether named has a configured spawner among its
// methods.
func (c *checker) isHandle(named *types.Named) bool {
	named = named.Origin()
	if h, ok := c.handles[named]; ok {
		return h
	}
	h := false
	for m := range named.Methods() {
		if c.a.cfg.IsSpawner(m) {
			h = true
		}
	}
	if iface, ok := named.Underlying().(*types.Interface); ok {
		for m := range iface.Methods() {
			if c.a.cfg.IsSpawner(m) {
				h = true
			}
		}
	}
	c.handles[named] = h
	return h
}

// ownsPkg reports whether pkg belongs to the module being checked.
func (c *checker) ownsPkg(pkg *types.Package) bool {
	return pkg != nil && c.a.cfg.Owner(pkg.Path()) == c.module
}

// namedOf returns the named type t is, or points to, or nil.
func namedOf(t types.Type) *types.Named {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		if _, isNamed := t.(*types.Named); !isNamed {
			t = types.Unalias(p.Elem())
		}
	}
	named, _ := t.(*types.Named)
	return named
}

// implementsOwn reports whether some method of the interface iface is
// implemented, for values of type t, by a method declared in the module:
// a caddy.Context converted to a context.Context hands over only the
// methods of the context.Context it embeds, which are not the module's
// code.
func (c *checker) implementsOwn(t, iface types.Type) bool {
	it, ok := iface.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for m := range it.Methods() {
		obj, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
		if fn, ok := obj.(*types.Func); ok && c.ownsPkg(fn.Pkg()) {
			return true
		}
	}
	return false
}

// isCallbackInterface reports whether converting a value to t hands its
// methods over to be called back from outside the module: t is a named
// interface with methods, declared outside the module, other than error
// and fmt.Stringer. Conversions to the module's own interfaces stay
// inside it.
func (c *checker) isCallbackInterface(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	iface, ok := named.Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 || named.Obj().Pkg() == nil || c.ownsPkg(named.Obj().Pkg()) {
		return false // empty, error, or the module's own
	}
	return named.Obj().Pkg().Path() != "fmt" || named.Obj().Name() != "Stringer"
}

// baseObject returns the object a store address is inside: the struct
// of a field, the slice or array of an element.
func baseObject(addr ssa.Value) ssa.Value {
	for {
		switch a := addr.(type) {
		case *ssa.FieldAddr:
			addr = a.X
		case *ssa.IndexAddr:
			addr = a.X
		default:
			return addr
		}
	}
}

// funcName names a function the way the messages do: util.AddHook,
// core.(*Bus).On.
func funcName(fn *types.Func) string {
	pkg := ""
	if fn.Pkg() != nil {
		pkg = fn.Pkg().Name() + "."
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return pkg + fn.Name()
	}
	t := recv.Type()
	star := ""
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t, star = p.Elem(), "*"
	}
	name := types.TypeString(t, func(*types.Package) string { return "" })
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	if star != "" {
		return pkg + "(*" + name + ")." + fn.Name()
	}
	return pkg + name + "." + fn.Name()
}

// qualifier writes package names, not paths, in types.
func (c *checker) qualifier(p *types.Package) string { return p.Name() }

// pkgName returns the name of the package with the given path, as seen
// from the package being checked.
func (c *checker) pkgName(path string) string {
	if p := c.a.pkgByPath(path); p != nil {
		return p.Name()
	}
	return path[strings.LastIndex(path, "/")+1:]
}

// selectorAt returns the selector expression whose Sel is at pos.
func (c *checker) selectorAt(pos token.Pos) *ast.SelectorExpr {
	for _, n := range c.pathAt(pos) {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Pos() == pos {
			return sel
		}
	}
	return nil
}

// pathAt returns the syntax nodes enclosing pos, innermost first.
func (c *checker) pathAt(pos token.Pos) []ast.Node {
	if !pos.IsValid() {
		return nil
	}
	file := c.files[c.a.pass.Fset.File(pos)]
	if file == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	return path
}
