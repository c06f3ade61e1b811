<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ServerEventReporter</name>
    <message numerus="yes">
        <source>at most %n member(s)</source>
        <translation>
            <numerusform>at most %n member</numerusform>
            <numerusform>at most %n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped listening; disconnecting %n member(s)</source>
        <translation>
            <numerusform>Stopped listening; disconnecting %n member</numerusform>
            <numerusform>Stopped listening; disconnecting %n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} opened another window · %n window(s) open</source>
        <translation>
            <numerusform>{name} opened another window · %n window open</numerusform>
            <numerusform>{name} opened another window · %n windows open</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>One window: {line} · %n window(s) still open</source>
        <translation>
            <numerusform>One window: {line} · %n window still open</numerusform>
            <numerusform>One window: {line} · %n windows still open</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServerWindow</name>
    <message numerus="yes">
        <source>Exported %n session(s) to {path}</source>
        <translation>
            <numerusform>Exported %n session to {path}</numerusform>
            <numerusform>Exported %n sessions to {path}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n session(s)</source>
        <translation>
            <numerusform>%n session</numerusform>
            <numerusform>%n sessions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n oldest not listed)</source>
        <translation>
            <numerusform>(%n oldest not listed)</numerusform>
            <numerusform>(%n oldest not listed)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message numerus="yes">
        <source>%n connection(s) in all runs kept by the server</source>
        <translation>
            <numerusform>%n connection in all runs kept by the server</numerusform>
            <numerusform>%n connections in all runs kept by the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) since the server started at {time}</source>
        <translation>
            <numerusform>%n connection since the server started at {time}</numerusform>
            <numerusform>%n connections since the server started at {time}</numerusform>
        </translation>
    </message>
</context>
</TS>
