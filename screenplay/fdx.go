package screenplay

// readFDX is being written on its own branch.
func readFDX(data []byte, name string) (*Script, error) {
	return nil, &Error{Name: name, Kind: ErrMalformed, Msg: "FDX reader not built yet"}
}
