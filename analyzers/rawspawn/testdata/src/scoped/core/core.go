package core

import "context"

type Handle struct{}

func (h *Handle) Go(f func(context.Context)) {}
