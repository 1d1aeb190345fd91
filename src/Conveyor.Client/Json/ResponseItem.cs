namespace Conveyor.Client.Json;

/// <summary>Reads one item of a list, the value <paramref name="parser"/> is on (never a JSON null: the list reads that as null).</summary>
internal delegate T ResponseItem<out T>(ref ResponseParser parser);
