namespace Conveyor.Server.Json;

/// <summary>Appends one member's value (its name is written already) from <paramref name="value"/>.</summary>
internal delegate void ViewMemberWriter<in T>(ViewBuffer view, T value, RepeatedValues repeated, bool omitDefaults);
