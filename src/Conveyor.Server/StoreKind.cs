namespace Conveyor.Server;

/// <summary>Where job state lives.</summary>
public enum StoreKind
{
    /// <summary>A directory on local disk (default).</summary>
    Embedded,

    /// <summary>A shared PostgreSQL database (not yet supported).</summary>
    Postgres,
}
