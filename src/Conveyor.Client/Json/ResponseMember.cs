namespace Conveyor.Client.Json;

/// <summary>Reads one member's value, the token <paramref name="parser"/> is on, into <paramref name="into"/>.</summary>
internal delegate void ResponseMember<T>(ref ResponseParser parser, ref T into);
