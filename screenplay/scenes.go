package screenplay

// finish groups elements into scenes and computes pages and eighths.
func finish(s *Script) {}
