namespace Conveyor.Server.Json;

/// <summary>A member of the failure view, as <see cref="FailureViewWriter"/>'s table names it and its switch writes it.</summary>
internal enum FailureViewField
{
    Attempt,
    At,
    ErrorType,
    Message,
    Backtrace,
}
