package screenplay

import "context"

// readPDF is being written on its own branch.
func readPDF(ctx context.Context, data []byte, name string) (*Script, error) {
	return nil, &Error{Name: name, Kind: ErrMalformed, Msg: "PDF reader not built yet"}
}
