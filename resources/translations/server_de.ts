<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AnnounceControls</name>
    <message>
        <source>Server name</source>
        <translation>Servername</translation>
    </message>
</context>
<context>
    <name>ConnectionsPanel</name>
    <message>
        <source>Sessions shown</source>
        <translation>Angezeigte Sitzungen</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>One row per session; select a member online to kick them or send them a notice (context menu)</source>
        <translation>Eine Zeile je Sitzung; ein Mitglied auswählen, das online ist, um es hinauszuwerfen oder ihm eine Mitteilung zu senden (Kontextmenü)</translation>
    </message>
</context>
<context>
    <name>EventLogPanel</name>
    <message>
        <source>Log lines kept</source>
        <translation>Aufbewahrte Protokollzeilen</translation>
    </message>
    <message>
        <source>Clear the event log</source>
        <translation>Ereignisprotokoll leeren</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
</context>
<context>
    <name>ListenControls</name>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Notice to</source>
        <translation>Mitteilung an</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Mitteilung</translation>
    </message>
    <message>
        <source>Send the notice</source>
        <translation>Mitteilung senden</translation>
    </message>
</context>
<context>
    <name>RoomQuestions</name>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
</context>
<context>
    <name>RoomsPanel</name>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>One row per room; select one to change it or send its members a notice (context menu)</source>
        <translation>Eine Zeile je Raum; einen auswählen, um ihn zu ändern oder seinen Mitgliedern eine Mitteilung zu senden (Kontextmenü)</translation>
    </message>
</context>
<context>
    <name>ServerWindow</name>
    <message>
        <source>LAN Chat Server</source>
        <translation>LAN-Chat-Server</translation>
    </message>
    <message>
        <source>{online}/{limit} online</source>
        <translation>{online}/{limit} online</translation>
    </message>
    <message>
        <source>{online} online (no limit)</source>
        <translation>{online} online (ohne Begrenzung)</translation>
    </message>
    <message>
        <source>{count} · not listening</source>
        <translation>{count} · lauscht nicht</translation>
    </message>
    <message>
        <source>{count} · listening on {address}</source>
        <translation>{count} · lauscht auf {address}</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Each session as a bar over time; clicking one selects it in the Connections table</source>
        <translation>Jede Sitzung als Balken über die Zeit; ein Klick wählt sie in der Tabelle „Verbindungen“ aus</translation>
    </message>
    <message>
        <source>Start listening</source>
        <translation>Lauschen starten</translation>
    </message>
    <message>
        <source>Stop listening and disconnect every member</source>
        <translation>Lauschen beenden und alle Mitglieder trennen</translation>
    </message>
    <message>
        <source>Go to the Connections table</source>
        <translation>Zur Tabelle „Verbindungen“</translation>
    </message>
    <message>
        <source>Go to the Rooms table</source>
        <translation>Zur Tabelle „Räume“</translation>
    </message>
    <message>
        <source>Kick the selected member (asks first)</source>
        <translation>Ausgewähltes Mitglied hinauswerfen (mit Rückfrage)</translation>
    </message>
    <message>
        <source>Write a notice (to whom “Notice to” shows)</source>
        <translation>Mitteilung schreiben (an den, den „Mitteilung an“ zeigt)</translation>
    </message>
    <message>
        <source>Send the notice (in the notice field)</source>
        <translation>Mitteilung senden (im Mitteilungsfeld)</translation>
    </message>
    <message>
        <source>Export the sessions shown to a CSV file</source>
        <translation>Angezeigte Sitzungen als CSV-Datei exportieren</translation>
    </message>
    <message>
        <source>Close the window (members online get a goodbye first)</source>
        <translation>Fenster schließen (Mitglieder, die online sind, werden zuerst verabschiedet)</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s)</source>
        <translation>
            <numerusform>%n Sitzung</numerusform>
            <numerusform>%n Sitzungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n oldest not listed)</source>
        <translation>
            <numerusform>(die älteste nicht aufgeführt)</numerusform>
            <numerusform>(die %n ältesten nicht aufgeführt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n Nachricht</numerusform>
            <numerusform>%n Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>· {rate} msg/s</source>
        <translation>· {rate} Nachr./s</translation>
    </message>
</context>
<context>
    <name>ShortcutTable</name>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>List the keyboard shortcuts</source>
        <translation>Tastenkürzel auflisten</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
</context>
</TS>
