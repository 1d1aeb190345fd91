namespace Conveyor.Server.Json;

/// <summary>A member of the lease view, as <see cref="LeaseViewWriter"/>'s table names it and its switch writes it.</summary>
internal enum LeaseViewField
{
    Token,
    WorkerId,
    ExpiresAt,
}
