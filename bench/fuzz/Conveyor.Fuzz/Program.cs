using Conveyor.Fuzz;

// Conveyor.Fuzz TARGET              under afl-fuzz (bench/fuzz/run.sh): one input per run from afl
// Conveyor.Fuzz TARGET PATH...      runs every file (or every file of a directory) once, says which fail
// Conveyor.Fuzz seeds CORPUS_DIR    writes the valid seed inputs of every target into CORPUS_DIR/<target>/
// Conveyor.Fuzz list                names the targets
return FuzzCommand.Run(args);
