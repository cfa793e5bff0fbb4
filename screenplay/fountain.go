package screenplay

func parseFountain(text string) *Script { return &Script{Format: Fountain} }
