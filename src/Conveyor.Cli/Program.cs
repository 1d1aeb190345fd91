// PLACEHOLDER: replaced by the command-line composition.
return 0;
